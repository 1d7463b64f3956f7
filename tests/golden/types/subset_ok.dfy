// Subset types: a value read from a position of the type satisfies its constraint, and
// every value written into one is checked (parameters, results, variables, arrays,
// sequences, datatype fields, function results).
type Index = i: int | 0 <= i < 10 witness 0
type Pos = x: int | x > 0 witness 1
type Small = n: nat | n < 5

datatype Cell = Cell(at: Index, size: Small)

function Wrap(i: int): Index
{
  if 0 <= i < 10 then i else 0
}

method Next(i: Index) returns (j: Index)
  ensures j == Wrap(i + 1)
{
  if i < 9 {
    j := i + 1;
  } else {
    j := 0;
  }
}

method Uses(s: seq<Index>, c: Cell, a: array<Small>) returns (p: Pos)
  requires |s| > 0 && a.Length > 0
  modifies a
  ensures p > 0
{
  assert s[0] < 10 && c.at >= 0 && c.size < 5;
  assert a[0] < 5;
  var k: nat := c.size;
  a[0] := 4;
  var t: seq<Index> := s + [9];
  assert t[|t| - 1] == 9;
  var d := Cell(s[0], a[0]);
  p := d.size + 1;
  var made := new Pos[3];
  assert made.Length == 3 ==> made[2] >= 1;
  var q: Pos;
  assert q >= 1;
  var j := Next(c.at);
}
