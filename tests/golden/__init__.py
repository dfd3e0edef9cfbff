"""Golden files: the stored serialised forms that the current code must still write and read."""
