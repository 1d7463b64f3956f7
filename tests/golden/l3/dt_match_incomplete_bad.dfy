// The match has no case for Leaf, and nothing rules a Leaf out.
datatype Tree = Leaf | Node(left: Tree, key: int, right: Tree)

function Key(t: Tree): int
{
  match t
  case Node(_, k, _) => k
}

function RootKey(t: Tree): int
  requires t.Node?
{
  match t
  case Node(_, k, _) => k
}
