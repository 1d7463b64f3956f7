// A seq<nat> is checked element by element wherever a value flows into one.
method Literal()
{
  var s: seq<nat> := [1, -1];
}

method Param(s: seq<nat>)
{
}

method Call()
{
  Param([3, -3]);
}

method FromArray(a: array<int>)
{
  var s: seq<nat> := a[..];
}

function Bad(): seq<nat>
{
  [-1]
}
