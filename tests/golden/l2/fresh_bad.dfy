// returns its argument but promises a fresh array
method Clone(a: array<int>) returns (r: array<int>)
  ensures fresh(r) && r.Length == a.Length
{
  r := a;
}
