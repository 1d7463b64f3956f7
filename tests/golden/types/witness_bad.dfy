type Digit = d: int | 0 <= d && d < 10 witness 10
