type Pos = x: int | x > 0 witness true
