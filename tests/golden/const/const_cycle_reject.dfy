// A constant may not depend on itself.
const A: int := B + 1
const B: int := A - 1
