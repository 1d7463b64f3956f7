// Type synonyms: each name stands for its right-hand side everywhere.
type Index = int
type Grid = seq<seq<int>>
type Pair<T> = seq<T>
type Row = Pair<Index>

function Width(g: Grid): int
  requires |g| > 0
{
  |g[0]|
}

method Corner(g: Grid) returns (x: Index)
  requires |g| > 0 && |g[0]| > 0
  ensures x == g[0][0]
  ensures Width(g) > 0
{
  var row: Row := g[0];
  x := row[0];
}

method Swap(p: Pair<bool>) returns (q: Pair<bool>)
  requires |p| == 2
  ensures q == [p[1], p[0]]
{
  q := [p[1], p[0]];
}
