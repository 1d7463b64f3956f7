// modulo inside an ensures guarded by an implication
method Zero(x: int, d: int) returns (y: int)
  ensures d != 0 ==> y % d == 0
{
  y := 0;
}
