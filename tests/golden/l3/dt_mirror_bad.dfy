// This Mirror forgets to swap the subtrees' own children: mirroring twice is not the identity.
datatype Tree = Leaf | Node(left: Tree, value: int, right: Tree)

function Mirror(t: Tree): Tree
{
  match t
  case Leaf => Leaf
  case Node(l, v, r) => Node(r, v, l)
}

lemma MirrorMirror(t: Tree)
  ensures Mirror(Mirror(t)) == t
{
}

lemma MirrorTwiceSwaps(t: Tree)
  requires t.Node?
  ensures Mirror(t).left == t.left
{
}
