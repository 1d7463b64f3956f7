// postcondition of the form A ==> B && C holds
method Pos(x: int) returns (y: int, z: int)
  ensures x > 0 ==> y > 0 && z > 0
{
  y := x;
  z := 2 * x;
}
