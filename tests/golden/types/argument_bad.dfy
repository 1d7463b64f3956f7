type Pos = x: int | x > 0 witness 1

method Half(p: Pos) returns (h: int)
{
  h := p / 2;
}

method Caller(n: int) returns (h: int)
  requires n >= 0
{
  h := Half(n);
}
