// Starting points for new triggers (CONTRACT.md §4). Each is valid as it stands; the marketer edits.
export const TEMPLATES = [
  {
    key: "basket-offer", label: "Offer on add to basket",
    trigger: {
      id: "basket-offer", name: "Offer on add to basket", enabled: true, priority: 100,
      on: { event: "add_to_cart" },
      conditions: [{ fact: "basket.total", op: "gte", value: 50 }],
      action: { type: "offer", title: "10% off today", message: "Your basket qualifies for 10% off.",
        discount: { kind: "percent", value: 10 }, codePrefix: "SAVE10", ttlSeconds: 1800 },
      limits: { maxPerShopper: 1, cooldownSeconds: 3600, maxPerDay: 1000 },
      holdoutPercent: 10,
    },
  },
  {
    key: "browse-offer", label: "Offer after viewing a product",
    trigger: {
      id: "browse-offer", name: "Offer after viewing a product", enabled: true, priority: 80,
      on: { event: "product_view" },
      conditions: [],
      action: { type: "offer", title: "Free shipping on this one", message: "Order within the hour and shipping is on us.",
        discount: { kind: "freeShipping", value: 0 }, code: "SHIPFREE", ttlSeconds: 3600 },
      limits: { maxPerShopper: 1, cooldownSeconds: 3600, maxPerDay: 1000 },
      holdoutPercent: 10,
    },
  },
  {
    key: "cart-rescue", label: "Cart rescue when idle",
    trigger: {
      id: "cart-rescue", name: "Cart rescue", enabled: true, priority: 90,
      on: { idleSeconds: 300 },
      conditions: [{ fact: "basket.count", op: "gte", value: 1 }],
      action: { type: "offer", title: "Still thinking?", message: "Here is 5 € off if you complete your order now.",
        discount: { kind: "amount", value: 5 }, codePrefix: "RESCUE", ttlSeconds: 1800 },
      limits: { maxPerShopper: 1, cooldownSeconds: 86400, maxPerDay: 1000 },
      holdoutPercent: 10,
    },
  },
  {
    key: "nps-survey", label: "NPS survey after purchase",
    trigger: {
      id: "nps-after-purchase", name: "NPS after purchase", enabled: true, priority: 50,
      on: { event: "purchase" },
      conditions: [],
      action: { type: "survey", survey: "nps", title: "Quick question", message: "Thanks for your order!",
        question: "How likely are you to recommend us to a friend?", ttlSeconds: 86400 },
      limits: { maxPerShopper: 1, cooldownSeconds: 0, maxPerDay: 10000 },
      holdoutPercent: 0,
    },
  },
  {
    key: "promoter-referral", label: "Referral prompt for promoters",
    trigger: {
      id: "promoter-referral", name: "Ask promoters to refer", enabled: true, priority: 70,
      on: { event: "nps_response" },
      conditions: [{ fact: "event.score", op: "gte", value: 9 }],
      action: { type: "referralPrompt", title: "Share the love", message: "Invite a friend: they save, you earn." },
      limits: { maxPerShopper: 1, cooldownSeconds: 0, maxPerDay: 10000 },
      holdoutPercent: 0,
    },
  },
  {
    key: "also-bought", label: "Recommendations on product view",
    trigger: {
      id: "also-bought", name: "Customers also bought", enabled: true, priority: 20,
      on: { event: "product_view" },
      conditions: [{ fact: "count", where: { type: "product_view" }, withinSeconds: 600, op: "gte", value: 3 }],
      action: { type: "recommendations", title: "Customers also bought", message: "", strategy: "alsoBought", count: 4 },
      limits: { cooldownSeconds: 600 },
      holdoutPercent: 10,
    },
  },
];
