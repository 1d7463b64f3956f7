// A constant's value must be of its type: -1 is not a nat.
const N: int := 10
const Small: nat := N - 11
