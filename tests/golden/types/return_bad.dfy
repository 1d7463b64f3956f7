type Pos = x: int | x > 0 witness 1

method Pred(p: Pos) returns (q: Pos)
{
  q := p - 1;
}
