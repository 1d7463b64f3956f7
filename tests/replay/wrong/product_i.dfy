// wrong invariant: the product is x * i, not i
method Times(x: int, n: nat) returns (p: int)
  ensures p == x * n
{
  p := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant p == i
  {
    p := p + x;
    i := i + 1;
  }
}
