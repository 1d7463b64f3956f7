// The constraint must be well-formed for every int, 0 included.
type Inverse = x: int | 10 / x > 0 witness 1
