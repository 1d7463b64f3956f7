// A datatype value and a sequence of them are compared by rank (Dafny's Seq#Rank): Size and
// SizeAll terminate. A decreases clause of another type (an int) is not compared with a rank.
datatype Rose = Node(val: int, children: seq<Rose>)

function Size(r: Rose): nat
{
  1 + SizeAll(r.children)
}

function SizeAll(rs: seq<Rose>): nat
  decreases rs
{
  if |rs| == 0 then 0 else Size(rs[0]) + SizeAll(rs[1..])
}

function Sum(r: Rose): int
{
  r.val + SumAll(r.children, 0)
}

function SumAll(rs: seq<Rose>, i: nat): int
  requires i <= |rs|
  decreases |rs| - i
{
  if i == |rs| then 0 else Sum(rs[i]) + SumAll(rs, i + 1)
}
