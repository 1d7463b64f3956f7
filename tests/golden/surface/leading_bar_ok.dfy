// A `|` may stand before a datatype's first constructor, on one line or across lines.
datatype Color = | Red | Green | Blue

datatype Shape =
  | Circle(radius: nat)
  | Rect(width: nat, height: nat)

function Area(s: Shape): nat
{
  match s
  case Circle(r) => 3 * r * r
  case Rect(w, h) => w * h
}

method M() {
  var c := Green;
  assert c != Red;
  assert Area(Rect(2, 3)) == 6;
}
