"""Templates (protocols): private or shared with a clinic, versioned, prescribed."""
