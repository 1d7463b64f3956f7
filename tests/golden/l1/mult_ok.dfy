// multiplication by repeated addition
method Mult(a: nat, b: int) returns (p: int)
  ensures p == a * b
{
  p := 0;
  var i := 0;
  while i < a
    invariant 0 <= i <= a
    invariant p == i * b
  {
    p := p + b;
    i := i + 1;
  }
}
