// Literal patterns (current Dafny): a literal of the matched value's type.

function F(x: int): int
{
  match x
  case true => 1
  case _ => 0
}
