// precondition of a call with two results var q, r := M(..) fails
method DivMod(a: int, b: int) returns (q: int, r: int)
  requires b > 0
  ensures a == q * b + r && 0 <= r < b
{
  q := a / b;
  r := a % b;
}

method Caller(n: int, d: int)
  requires d >= 0
{
  var q, r := DivMod(n, d);
}
