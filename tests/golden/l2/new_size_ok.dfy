// allocating new int[n] with n a nat
method Make(n: nat) returns (r: array<int>)
  ensures fresh(r) && r.Length == n
{
  r := new int[n];
}
