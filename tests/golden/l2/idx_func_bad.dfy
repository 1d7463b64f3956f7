// sequence index in a function body without a precondition
function First(s: seq<int>): int
{
  s[0]
}
