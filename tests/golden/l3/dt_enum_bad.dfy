// Next(Blue) is Red, so the postcondition fails for Blue.
datatype Color = Red | Green | Blue

function Next(c: Color): Color
{
  match c
  case Red => Green
  case Green => Blue
  case Blue => Red
}

lemma NextIsNotRed(c: Color)
  ensures Next(c) != Red
{
}
