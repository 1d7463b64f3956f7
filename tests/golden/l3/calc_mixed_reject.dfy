// `<` and `>` do not chain: the calculation would prove nothing about x and x.
method Mixed(x: int)
{
  calc {
    x;
    < x + 1;
    > x;
  }
}
