type Small = n: nat | n < 5
datatype Box = Box(v: Small)

method Make(n: nat) returns (b: Box)
{
  b := Box(n);
}
