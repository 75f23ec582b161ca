package repeats

// variantPairs lists characters that petitioners commonly write for one
// another in place names and petition words (homophones and near-forms:
// 二道弯子/二道湾子, 东官村/东关村, 金色嘉园/金色家园, 花圆/花园, 暖汽/暖气, 燥音/噪音),
// each followed by the form it is folded into. Folding applies to every
// text on both sides of a comparison, so a fold can only merge spellings,
// never split them; pairs whose two forms are both common words with
// different meanings in petitions (工/公, 在/再, 度/渡) are not folded.
const variantPairs = "弯湾官关嘉家圆园汽气燥噪帐账坐座象像"

var variantFold = func() map[rune]rune {
	m := map[rune]rune{}
	r := []rune(variantPairs)
	for i := 0; i+1 < len(r); i += 2 {
		m[r[i]] = r[i+1]
	}
	return m
}()
