type Index = i: int | 0 <= i < 10 witness 0

method Short(s: seq<int>)
  requires |s| == 5
  requires forall i: Index :: s[i] > 0
{
}
