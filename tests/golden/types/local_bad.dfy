type Index = i: int | 0 <= i < 10 witness 0

method Step(i: Index) returns (r: int)
{
  var j: Index := i + 1;
  r := j;
}
