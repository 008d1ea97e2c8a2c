"""Problem 5 (hand-designed filters): the test image and the starter notebook."""
