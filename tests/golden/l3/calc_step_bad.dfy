// The last step of this calculation does not hold: 3 * x + 6 is not 3 * x + 5.
method Expand(x: int)
{
  calc {
    3 * (x + 2);
    == 3 * x + 3 * 2;
    == 3 * x + 6;
    == 3 * x + 5;
  }
}
