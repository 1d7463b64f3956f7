type Wrong = x: int | x + 1 witness 0
