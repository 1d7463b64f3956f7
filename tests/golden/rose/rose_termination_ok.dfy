// Termination through a sequence of datatype values: an element of a node's children is
// below the node, and a part of a sequence (s[1..], s[..i], s[i..j]) is below the sequence.
datatype Rose = Node(val: int, children: seq<Rose>)

function Height(r: Rose): nat
{
  if |r.children| == 0 then 1 else 1 + MaxHeight(r.children)
}

function MaxHeight(rs: seq<Rose>): nat
{
  if |rs| == 0 then 0
  else
    var h := Height(rs[|rs| - 1]);
    var rest := MaxHeight(rs[..|rs| - 1]);
    if h > rest then h else rest
}

function FirstLeaf(r: Rose): int
{
  match r
  case Node(v, cs) => if |cs| == 0 then v else FirstLeaf(cs[0])
}

function Mid(r: Rose): int
{
  if |r.children| < 3 then r.val else Mid(r.children[1]) + MidAll(r.children[1..2])
}

function MidAll(rs: seq<Rose>): int
{
  if |rs| == 0 then 0 else Mid(rs[0]) + MidAll(rs[1..])
}

lemma HeightPositive(r: Rose)
  ensures Height(r) >= 1
{
}

method CountNodes(r: Rose) returns (n: int)
  ensures n >= 1
{
  n := 1;
  var i := 0;
  while i < |r.children|
    invariant 0 <= i <= |r.children|
    invariant n >= 1
  {
    var m := CountNodes(r.children[i]);
    n := n + m;
    i := i + 1;
  }
}


method Measure(r: Rose)
{
  ghost var h := Height(r);
  ghost var leaf := FirstLeaf(r);
  ghost var mid := Mid(r);
  assert h >= 1;
}
