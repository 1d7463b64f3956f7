// The constraint may mention only its bound variable (and functions).
type Bounded = x: int | x < limit witness 0

method M(limit: int) { }
