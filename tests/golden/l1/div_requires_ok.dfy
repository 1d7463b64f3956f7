// division inside a requires guarded by an earlier conjunct
method Ratio(a: int, b: int) returns (q: int)
  requires b != 0 && a / b > 0
{
  q := a / b;
}
