"use strict";
class Ҳисобкунак {
  #шумор = 0;
  афзун(қадам) {
    this.#шумор += қадам;
    return this.#шумор;
  }
}
function* рақамҳо(то_) {
  for (let и = 1; и <= то_; и++) {
    yield и;
  }
}
async function* ҷуфтҳо() {
  for (const н of рақамҳо(3)) {
    await Promise.resolve();
    yield н * 2;
  }
}
async function асосӣ() {
  const ҳ = new Ҳисобкунак();
  for await (const ҷ of ҷуфтҳо()) {
    ҳ.афзун(ҷ);
  }
  const асос = { ном: "ҳисоб", қимат: ҳ.афзун(0) };
  const нусха = { ...асос, қимат: асос.қимат + 1 };
  const танзимот = {};
  console.log(нусха.ном, нусха.қимат, танзимот.ранг?.ном ?? "бе ранг");
  const натиҷа = await Promise.all([1, 2].map(async_дучанд));
  console.log(натиҷа.join(","));
}
async function async_дучанд(н) {
  await new Promise((ҳал) => setTimeout(ҳал, 1));
  return н * 2;
}
асосӣ().catch((х) => console.error(х));
