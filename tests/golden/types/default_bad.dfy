// A variable of a subset type declared without a value holds some value of the type: not
// necessarily its witness.
type Pos = x: int | x > 0 witness 1

method Start() returns (p: Pos)
  ensures p == 1
{
  var q: Pos;
  p := q;
}
