// A subset type of nat is a nat: no check where a nat goes; the other way is checked.
type Small = n: nat | n < 5

method Use(s: Small) returns (n: nat, m: Small)
  ensures n == s
{
  n := s;
  if n < 3 {
    m := n + 2;
  } else {
    m := 0;
  }
}
