// allocating new int[n - 1] where n may be 0
method Make(n: nat) returns (r: array<int>)
  ensures fresh(r) && r.Length == n - 1
{
  r := new int[n - 1];
}
