// No value of Bad can be built: every constructor needs a Bad already.
datatype Bad = B(Bad)
datatype Pair = P(Bad, int)
datatype Rose = Node(children: seq<Rose>)

lemma False(b: Bad)
  ensures false
{
}
