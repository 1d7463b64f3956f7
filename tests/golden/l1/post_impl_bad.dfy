// postcondition A ==> B && C where C fails (z is 0 when x is 1)
method Pos(x: int) returns (y: int, z: int)
  ensures x > 0 ==> y > 0 && z > 0
{
  y := x;
  z := x - 1;
}
