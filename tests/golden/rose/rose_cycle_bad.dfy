// Dafny compares a sequence of datatype values with another by rank, not length: [s[0]] is
// shorter than s but not a part of it, so F -> G -> G -> F is not known to terminate (and a
// length order here would let the cycle F(x) -> G(x.children) -> G([x]) -> F(x) through).
datatype Rose = Node(children: seq<Rose>)

function F(x: Rose): int
{
  G(x.children)
}

function G(s: seq<Rose>): int
{
  if |s| == 0 then 0
  else if |s| >= 2 then G([s[0]])
  else F(s[0])
}

method Run(x: Rose)
{
  ghost var n := F(x);
}
