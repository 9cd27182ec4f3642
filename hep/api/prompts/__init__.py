"""What Today asks of a patient besides exercises and habits."""
