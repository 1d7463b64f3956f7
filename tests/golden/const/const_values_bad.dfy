// A constant's value is what the verifier knows of it, and nothing is known of one without
// a value.
const N: int := 10
const Unknown: int

method Wrong() returns (r: int)
  ensures r == 11
{
  r := N;
}

method NotKnown()
{
  assert Unknown == 0;
}
