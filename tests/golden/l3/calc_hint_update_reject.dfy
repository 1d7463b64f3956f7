// A hint may not change a variable declared outside it.
method Count(n: int)
{
  ghost var steps := 0;
  calc {
    n + 0;
    { steps := steps + 1; }
    n;
  }
}
