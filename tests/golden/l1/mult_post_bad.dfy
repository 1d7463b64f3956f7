// multiplication by repeated addition: missing bound i <= a breaks the postcondition
method Mult(a: nat, b: int) returns (p: int)
  ensures p == a * b
{
  p := 0;
  var i := 0;
  while i < a
    invariant p == i * b
  {
    p := p + b;
    i := i + 1;
  }
}
