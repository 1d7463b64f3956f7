// A call on a value that is not below the caller's is refused: a node rebuilt from a part of
// its children, a sequence that takes in the grandchildren, a node wrapped in a larger one.
datatype Rose = Node(val: int, children: seq<Rose>)

function Loop(r: Rose): int
{
  if |r.children| == 0 then 0 else Loop(Node(r.val, r.children[1..]))
}

function Same(rs: seq<Rose>): int
{
  if |rs| == 0 then 0 else Same(rs[0].children + rs[1..])
}

function Wrap(r: Rose): int
{
  Wrap(Node(0, [r]))
}
