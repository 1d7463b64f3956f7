// a method returning a new array promises fresh(r)
method Make(n: nat) returns (r: array<int>)
  ensures fresh(r) && r.Length == n
{
  r := new int[n];
}
