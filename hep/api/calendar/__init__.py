"""A patient's calendar feed: its private address, and the feed itself."""
