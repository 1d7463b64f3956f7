// precondition of a call with two results var q, r := M(..) holds
method DivMod(a: int, b: int) returns (q: int, r: int)
  requires b > 0
  ensures a == q * b + r && 0 <= r < b
{
  q := a / b;
  r := a % b;
}

method Caller(n: int)
{
  var q, r := DivMod(n, 7);
  assert 0 <= r < 7;
}
