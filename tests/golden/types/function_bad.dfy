type Index = i: int | 0 <= i < 10 witness 0

function Succ(i: Index): Index
{
  i + 1
}
