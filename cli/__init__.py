"""samestory's command line: thin click commands over the `corpus` library."""
