// Without a witness, Dafny tries 0, which is not positive.
type Pos = x: int | x > 0
