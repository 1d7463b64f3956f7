// method with two out-parameters: the loop stops one step too early (r <= b)
method DivMod(a: nat, b: int) returns (q: nat, r: nat)
  requires b > 0
  ensures a == q * b + r && r < b
{
  q := 0;
  r := a;
  while r > b
    invariant a == q * b + r
  {
    q := q + 1;
    r := r - b;
  }
}
